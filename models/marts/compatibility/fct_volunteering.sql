{{ domain_slice('fct_published_figures', 'volunteering') }}
