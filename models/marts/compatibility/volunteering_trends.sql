{{ domain_slice('financial_trends', 'volunteering') }}
