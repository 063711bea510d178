/* core_version.c: the version of mesd, shared by the binary and the server's
 * layers (it also keeps the mesd_core library non-empty before they exist). */
const char mesd_version[] = "0.1.0";
