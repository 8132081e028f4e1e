"""The dataset registry as a DCAT catalog (DCAT-AP style; the national DCAT-VN profile follows
DCAT-AP), built with rdflib and served as JSON-LD and Turtle.

A dcat:Catalog; each dataset a dcat:Dataset with dct:title and dct:description in `vi` and `en`,
dct:publisher (the owner agency, with its master code), dct:license, dct:accrualPeriodicity (the EU
frequency vocabulary), keywords, and one dcat:Distribution per format (JSON, NDJSON, CSV, Parquet)
with its dcat:accessURL and dcat:mediaType.
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS

from sharing.datasets import LICENCES, Dataset

FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
IANA = "https://www.iana.org/assignments/media-types/"
_FREQUENCIES = {"continuous": "CONT", "daily": "DAILY", "weekly": "WEEKLY", "irregular": "IRREG"}
# format name -> (media type, EU file type: NDJSON has none of its own)
FORMATS = {
    "json": ("application/json", "JSON"),
    "ndjson": ("application/x-ndjson", "JSON"),
    "csv": ("text/csv", "CSV"),
    "parquet": ("application/vnd.apache.parquet", "PARQUET"),
}
CATALOG_TITLE = ("Danh mục dữ liệu chia sẻ của tỉnh", "The province's shared-data catalogue")
CATALOG_DESCRIPTION = (
    "Dữ liệu các cơ quan nhà nước được khai thác qua nền tảng chia sẻ dữ liệu của tỉnh "
    "(Nghị định 47/2020/NĐ-CP): danh mục dùng chung và dữ liệu tích hợp.",
    "Data state agencies pull through the province's data-sharing platform (Decree 47/2020/ND-CP): "
    "shared master catalogs and integrated datasets.",
)


def _agency(graph: Graph, base: str, code: str, name: str) -> URIRef:
    agency = URIRef(f"{base}/agencies/{code}")
    graph.add((agency, RDF.type, FOAF.Agent))
    graph.add((agency, FOAF.name, Literal(name, lang="vi")))
    graph.add((agency, DCTERMS.identifier, Literal(code)))
    return agency


def build(datasets: list[Dataset], base: str) -> Graph:
    """The catalog for `datasets`, with URLs under `base` (the API's public address, no trailing /)."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    catalog = URIRef(f"{base}/dcat")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    for text, lang in zip(CATALOG_TITLE, ("vi", "en"), strict=True):
        graph.add((catalog, DCTERMS.title, Literal(text, lang=lang)))
    for text, lang in zip(CATALOG_DESCRIPTION, ("vi", "en"), strict=True):
        graph.add((catalog, DCTERMS.description, Literal(text, lang=lang)))
    graph.add((catalog, DCTERMS.language, LANGUAGE.VIE))
    graph.add((catalog, FOAF.homepage, URIRef(f"{base}/datasets")))
    graph.add((catalog, DCTERMS.publisher, _agency(graph, base, "000.00.10.H17", "Trung tâm dữ liệu tỉnh")))
    for dataset in datasets:
        graph.add((catalog, DCAT.dataset, _dataset(graph, dataset, base)))
    return graph


def _dataset(graph: Graph, d: Dataset, base: str) -> URIRef:
    node = URIRef(f"{base}/api/v1/datasets/{d.id}")
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(d.id)))
    graph.add((node, DCTERMS.title, Literal(d.title_vi, lang="vi")))
    graph.add((node, DCTERMS.title, Literal(d.title_en, lang="en")))
    graph.add((node, DCTERMS.description, Literal(d.description_vi, lang="vi")))
    graph.add((node, DCTERMS.description, Literal(d.description_en, lang="en")))
    graph.add((node, DCTERMS.publisher, _agency(graph, base, d.owner_agency_code, d.owner_agency_name)))
    graph.add((node, DCTERMS.accrualPeriodicity, FREQUENCY[_FREQUENCIES[d.frequency]]))
    licence = LICENCES[d.licence]
    licence_node = URIRef(licence.uri)
    graph.add((licence_node, RDF.type, DCTERMS.LicenseDocument))
    graph.add((licence_node, RDFS.label, Literal(licence.label_vi, lang="vi")))
    graph.add((licence_node, RDFS.label, Literal(licence.label_en, lang="en")))
    graph.add((node, DCTERMS.license, licence_node))
    graph.add((node, DCAT.landingPage, URIRef(f"{base}/datasets#{d.id}")))
    for keyword in d.keywords:
        graph.add((node, DCAT.keyword, Literal(keyword, lang="vi")))
    for name, (media_type, file_type) in FORMATS.items():
        distribution = URIRef(f"{base}/api/v1/datasets/{d.id}/rows?format={name}")
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(f"{d.title_vi} ({name.upper()})", lang="vi")))
        graph.add((distribution, DCTERMS.title, Literal(f"{d.title_en} ({name.upper()})", lang="en")))
        graph.add((distribution, DCAT.accessURL, distribution))
        graph.add((distribution, DCAT.mediaType, URIRef(IANA + media_type)))
        graph.add((distribution, DCTERMS.format, FILE_TYPE[file_type]))
        graph.add((distribution, DCTERMS.license, licence_node))
        graph.add((node, DCAT.distribution, distribution))
    return node


def to_jsonld(graph: Graph) -> str:
    return graph.serialize(format="json-ld", indent=2, auto_compact=True)


def to_turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")
