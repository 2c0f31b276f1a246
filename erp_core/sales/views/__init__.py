"""Staff pages of sales under /sales/: orders, deliveries and price lists."""
