"""CRM's services: the only code that changes CRM's rows, one transaction each."""
