/*
 * A stand-in for OpenSSL's libcrypto.so.3 in the live guest, for Debian's iperf3 alone.
 *
 * libiperf links libcrypto only for iperf3's optional authentication (--username,
 * --rsa-public-key-path, --rsa-private-key-path) and is linked with BIND_NOW, so every one of
 * these names must resolve when iperf3 starts. Debian's libcrypto is 4.5 MB, which the guest
 * would keep in RAM and the boot snapshot would carry (1.6 MB of it, compressed, past the 6 MB
 * budget). Each function here does nothing and answers 0 (NULL, failure): iperf3 measures as
 * usual, and its authentication options fail with iperf3's own error. Built by guest/lib/pipeline.ts.
 */
#define REFUSE(name) \
  long name(void) { return 0; }

REFUSE(BIO_ctrl)
REFUSE(BIO_f_base64)
REFUSE(BIO_free)
REFUSE(BIO_free_all)
REFUSE(BIO_new)
REFUSE(BIO_new_file)
REFUSE(BIO_new_mem_buf)
REFUSE(BIO_push)
REFUSE(BIO_read)
REFUSE(BIO_s_mem)
REFUSE(BIO_set_flags)
REFUSE(BIO_write)
REFUSE(CRYPTO_free)
REFUSE(CRYPTO_malloc)
REFUSE(ERR_error_string)
REFUSE(ERR_get_error)
REFUSE(EVP_PKEY_free)
REFUSE(EVP_PKEY_get1_RSA)
REFUSE(PEM_read_bio_PUBKEY)
REFUSE(PEM_read_bio_PrivateKey)
REFUSE(RSA_free)
REFUSE(RSA_private_decrypt)
REFUSE(RSA_public_encrypt)
REFUSE(RSA_size)
REFUSE(SHA256_Final)
REFUSE(SHA256_Init)
REFUSE(SHA256_Update)
