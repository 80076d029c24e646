{{ stg_extracted_figures('crime_figures', 'crime') }}
