{{ domain_slice('financial_trends', 'workforce') }}
