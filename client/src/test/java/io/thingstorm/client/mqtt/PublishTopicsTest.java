package io.thingstorm.client.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.KeyType;
import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.tls.TlsSettings;
import java.net.URI;
import org.junit.jupiter.api.Test;

class PublishTopicsTest {
  static PublishTopics topicsOf(PlatformProfile profile) {
    CertificateAuthority ca = CertificateAuthority.createRoot("topics CA", KeyType.EC_P256, 1);
    ThingIdentity thing = ThingIdentity.builder().certifiedKey(ca.issueThing("thing-key", KeyType.EC_P256, 1)).build();
    TlsSettings tls = TlsSettings.builder().trust(io.thingstorm.client.tls.TrustMaterial.of(java.util.List.of(ca.certificate()), false)).build();
    return new PublishTopics(TransportConfig.builder().url(URI.create("mqtts://localhost:8883")).identity(thing)
        .tls(tls.forIdentity(thing)).profile(profile).build());
  }

  @Test
  void theSameChannelAndSubtopicGiveTheSameTopicWithoutExpandingItAgain() {
    PublishTopics topics = topicsOf(PlatformProfile.mainflux());

    String first = topics.topic("chan-1", "kitchen");
    assertThat(first).isEqualTo("channels/chan-1/messages/kitchen");
    assertThat(topics.topic("chan-1", "kitchen")).isSameAs(first);
    assertThat(topics.topic("chan-1", null)).isEqualTo("channels/chan-1/messages");
    assertThat(topics.topic("chan-2", "kitchen")).isEqualTo("channels/chan-2/messages/kitchen");
    assertThat(topics.topic("chan-1", "kitchen")).isEqualTo(first);
  }

  @Test
  void whatTheProfileRefusesIsStillRefused() {
    PublishTopics topics = topicsOf(PlatformProfile.mainflux());
    topics.topic("chan-1", null);

    assertThatThrownBy(() -> topics.topic("chan/1", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> topics.topic("chan-1", "room/#")).isInstanceOf(IllegalArgumentException.class);
  }
}
