"""The portal pages: one render job per page (render) and the signatures that tell which changed."""
