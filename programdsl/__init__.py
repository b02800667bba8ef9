"""programdsl: mentoring programs designed as code."""

__version__ = "0.1.0"
