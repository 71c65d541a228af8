"""The generate stage: the Pelican generator, each county's job, pages, wall notices, PDFs, search and downloads."""
