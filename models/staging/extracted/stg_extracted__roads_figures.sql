{{ stg_extracted_figures('roads_figures', 'roads') }}
