{{ stg_extracted_figures('volunteering_figures', 'volunteering') }}
