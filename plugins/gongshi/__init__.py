"""gongshi: public disclosure of poverty-alleviation funds and projects, as a Pelican plugin."""
