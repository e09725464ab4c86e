"""An example part, as small as a part can be: one table, one write, one read, one
event. It shows what adding a service takes (its folder and one line in a list of
parts: platform.py here), and it is the service the chassis' own tests run on."""
