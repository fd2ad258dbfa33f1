"""drs-progress: a Slack bot that watches Huawei Cloud DRS object-import-template parses."""

__version__ = "0.1.0"
