"""Uploads checked in the worker, never in the request.

A request checks an upload's size and magic bytes only (`marketplace.uploads.upload_precheck`) and
stores it unchecked in private storage (`CheckedFile.file_quarantine`), marked "pending". A job
(`file_check_task`) parses it within the worker's caps: images decoded and re-encoded, PDFs walked
by structure. A clean copy goes into the model's own file field and the row is marked "clean"; a
refused file is deleted and the row keeps the refusal's key and params, so the uploader reads why
in their own language. Nothing shows or serves a file before it is clean.

Each app registers its kinds of checked file (`register`) from its AppConfig.ready: the kernel
never names a model of the apps above it (STYLE.md rule 15).
"""
