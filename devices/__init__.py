"""Device layer: ID card reader, ticket printer and code scanner, plus simulators on ptys.

Every port is a pyserial URL. Protocol modules are pure (bytes in, messages out); thin
threads move bytes and report plain-dataclass events (devices.events) to a callback. Nothing
here imports Qt: the UI wraps the callback in its own bridge.
"""
