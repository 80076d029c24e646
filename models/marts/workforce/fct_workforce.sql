{{ domain_fact('workforce') }}
