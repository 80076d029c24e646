{{ stg_extracted_figures('confidence_figures', 'confidence') }}
