{{ domain_slice('financial_trends', 'crime') }}
