{{ stg_extracted_figures('finance_figures', 'finance') }}
