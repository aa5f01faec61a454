# %% [markdown]
# # Python Tutorial 2: stub
