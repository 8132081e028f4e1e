"""The document-management system (quản lý văn bản và điều hành): edXML packages
(QCVN 102:2016/BTTTT) dropped into `<inbox>/documents/`, read safely, one run over
the inbox per batch."""
