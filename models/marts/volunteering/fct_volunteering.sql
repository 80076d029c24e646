{{ domain_fact('volunteering') }}
