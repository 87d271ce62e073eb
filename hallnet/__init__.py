"""The networked hall: a hall server that owns the hall file, and the client every terminal
uses to reach it through the same facade the in-process hall offers (see `hallnet.api`)."""
