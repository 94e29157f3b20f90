// placeholder: replaced by the broker-setup tool
