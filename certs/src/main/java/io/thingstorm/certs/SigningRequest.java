package io.thingstorm.certs;

import io.thingstorm.certs.pem.Pem;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** A PKCS#10 certificate signing request, as {@code openssl req -new} makes and reads them. */
public final class SigningRequest {
  private final PKCS10CertificationRequest request;

  private SigningRequest(PKCS10CertificationRequest request) {
    this.request = request;
  }

  /** A CSR for the subject, signed with the key pair it asks a certificate for. */
  public static SigningRequest create(KeyPair keyPair, X500Name subject) {
    return create(keyPair, subject, RequestedExtensions.NONE);
  }

  /** A CSR that also asks for extensions: subjectAltName above all, for a server's host names. */
  public static SigningRequest create(KeyPair keyPair, X500Name subject, RequestedExtensions extensions) {
    try {
      KeyType type = KeyType.of(keyPair.getPublic());
      JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic());
      Extensions requested = extensions.toExtensions(keyPair.getPublic());
      if (requested != null) builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, requested);
      return new SigningRequest(builder
          .build(SignatureAlgorithm.of(keyPair.getPrivate(), type).signer(keyPair.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new CertsException("cannot sign the CSR: " + e.getMessage(), e);
    }
  }

  /** Reads a CSR and checks its self-signature, which proves the requester holds the key. */
  public static SigningRequest read(Path file) {
    SigningRequest request = new SigningRequest(Pem.readSigningRequest(file));
    if (!request.signatureValid()) throw new CertsException(file + ": the CSR's signature does not verify");
    return request;
  }

  public X500Name subject() {
    return request.getSubject();
  }

  /** The host names and addresses the CSR asks for (its extensionRequest's subjectAltName). */
  public SubjectAltNames altNames() {
    return SubjectAltNames.of(request.getRequestedExtensions());
  }

  public PublicKey publicKey() {
    try {
      return new JcaPKCS10CertificationRequest(request).getPublicKey();
    } catch (java.security.GeneralSecurityException e) {
      throw new CertsException("the CSR holds a public key this JDK cannot read: " + e.getMessage(), e);
    }
  }

  public boolean signatureValid() {
    // Bouncy Castle first; the JDK's RSASSA-PSS for what Bouncy Castle has no name for: a PSS
    // signature whose MGF hash differs from its message hash, openssl's default restriction.
    try {
      if (request.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
          .build(request.getSubjectPublicKeyInfo()))) {
        return true;
      }
    } catch (OperatorCreationException | PKCSException | RuntimeException e) {
      // tried below
    }
    try {
      return SignatureAlgorithm.verifiesPss(request.getSignatureAlgorithm(), publicKey(),
          request.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER), request.getSignature());
    } catch (java.io.IOException | CertsException e) {
      return false;
    }
  }

  public String toPem() {
    return Pem.signingRequest(request);
  }
}
