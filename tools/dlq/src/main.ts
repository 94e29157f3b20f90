// placeholder: replaced by the dlq tool
