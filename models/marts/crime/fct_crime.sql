{{ domain_fact('crime') }}
