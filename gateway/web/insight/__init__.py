"""The insight slice of the web app: what does more than forward a call. For now the
year's KTAK data as CSV (exports.py); the visitors' book at the entrance, the
dashboard and the year's report are its pages to come."""

from .exports import InsightExports

WEB = (InsightExports,)
