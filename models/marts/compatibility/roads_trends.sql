{{ domain_slice('financial_trends', 'roads') }}
