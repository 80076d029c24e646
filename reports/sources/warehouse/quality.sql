select issue_type, severity, domain, metric_code, figure_id, source_document, source_line, description
from marts.data_quality_issues
