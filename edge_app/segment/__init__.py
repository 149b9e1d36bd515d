"""Reading a row of handwritten digits as a number: segmentation of strokes and of pixels."""
