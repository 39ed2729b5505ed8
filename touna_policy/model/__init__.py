"""Stage 4, model: the projection kernel over villages x years (x draws), premiums, allocation and area sums."""
