"""The course's colours, in one place: every picture, widget and message takes them from here.

The named colours are the Okabe-Ito palette, chosen because they stay distinguishable with
every common colour-vision deficiency. Fills are light tints of them, so black text on a
fill stays easy to read. Plots also tell classes apart by marker shape, so they work in
black and white too.
"""

# Okabe-Ito colours
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
SKY_BLUE = "#56B4E9"
YELLOW = "#F0E442"

# Greys and black, for text, borders and grid lines
BLACK = "#000000"
GREY = "#555555"  # text that explains, lines that only help reading
LIGHT_GREY = "#999999"  # what is not there yet (a grad no gradient has reached)
GRID_GREY = "#DDDDDD"
WHITE = "#FFFFFF"

# Light tints, as fills behind black text
LIGHT_BLUE = "#CCE3F0"  # a tint of BLUE
LIGHT_YELLOW = "#FAF3B8"  # a tint of YELLOW

# What the colours mean across the course
CLASS_COLOURS = (BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, VERMILLION)  # class 0, 1, 2, ...
TRAIN_COLOUR = BLUE
HELD_OUT_COLOUR = ORANGE  # dev or test curves
HIGHLIGHT = VERMILLION  # what to look at: the node being processed, a step of descent
WARNING_COLOUR = VERMILLION  # diverged, off the scale, an error message
INFO_COLOUR = GREY  # a hint or a note

# Pale tints and a dark yellow, for message boxes (an exercise's verdict): the colour says
# right, wrong, not tried yet, a hint or a solution, on a background pale enough to read on
PALE_GREEN = "#E8F6F0"
PALE_VERMILLION = "#FCEEE6"
PALE_BLUE = "#E7F1F9"
PALE_YELLOW = "#FDF5E1"
PALE_GREY = "#F4F4F4"
DARK_YELLOW = "#8A6100"  # Okabe-Ito yellow itself is too light to read as text
