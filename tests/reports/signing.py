"""A test certification authority made in the test (cryptography) and PDF signing with pyHanko, the
way a commune's USB token signs: a CA certificate, a signer certificate issued by it, a signature."""

import datetime as dt
import io
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class SigningCA:
    cert: x509.Certificate
    key: object

    def pem(self):
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name, organisation):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _usage(*, ca):
    return x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def make_ca(common_name="Test Root CA (kiểm thử)"):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = _name(common_name, "PAR Index tests")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return SigningCA(cert=cert, key=key)


def make_signer(ca, common_name="Phạm Văn Thước", organisation="UBND xã Ba Thành"):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name, organisation)).issuer_name(ca.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
            .add_extension(_usage(ca=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return cert, key


def sign_pdf(content, *, ca, signer=None):
    """`content` signed by a certificate of `ca` (a new one unless given), as pyHanko signs."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from reports.issuing import outside_event_loop

    cert, key = signer or make_signer(ca)
    der = serialization.Encoding.DER
    signing = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(ca.cert.public_bytes(der))]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    signed = outside_event_loop(signers.sign_pdf, writer, signers.PdfSignatureMetadata(field_name="ChuKySo"),
                                signer=signing)
    return signed.getvalue()


def plain_pdf(text="Báo cáo kết quả Chỉ số CCHC năm 2024"):
    from weasyprint import HTML

    return HTML(string=f"<html lang='vi'><body><p>{text}</p></body></html>").write_pdf()
