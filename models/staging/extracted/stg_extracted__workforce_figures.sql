{{ stg_extracted_figures('workforce_figures', 'workforce') }}
