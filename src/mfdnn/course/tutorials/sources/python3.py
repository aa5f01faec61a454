# %% [markdown]
# # Python Tutorial 3: stub
