"""ERP core: master data, documents, planning and ledgers."""
