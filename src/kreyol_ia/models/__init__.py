"""Installed neural models: what is known, what is installed, which serves each direction.

One door into the translation services: ``registry.model_routes(settings)``, read by
``translation/factory.py``; the ``kreyol model`` commands install and remove.
"""
