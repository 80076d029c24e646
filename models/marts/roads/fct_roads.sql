{{ domain_fact('roads') }}
