"""Programme brochures and news for training institutions (党校、干部培训、社工培训).

The pipeline has plain stages, one module each, and data flows forward only:

    loader   YAML files -> Documents that remember where every value came from
    schema   the content model, declared once; checks Documents, normalises values
    model    checked records -> a Catalogue with references resolved and back-links
    render   Catalogue -> Markdown pages through the Jinja templates in templates/
    plugin   hands those pages to MkDocs (in memory, nothing is written into docs/)
"""

__version__ = "0.1.0"
