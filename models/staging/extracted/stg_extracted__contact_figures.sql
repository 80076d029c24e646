{{ stg_extracted_figures('contact_figures', 'contact') }}
