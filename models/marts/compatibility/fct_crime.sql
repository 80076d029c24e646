{{ domain_slice('fct_published_figures', 'crime') }}
