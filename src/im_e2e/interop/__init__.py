"""The official Easemob Web SDK, driven from Python: a Node process (driver/) commanded line by line.

`sdk_driver` is what tests and benchmarks hold (`WebSdk`, `SdkConnection`, `sdk_event`), `sdk_process`
the Node process and "can it run here?", `install` the driver's npm packages on first use.
"""
