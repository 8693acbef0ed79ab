# Installer media only: start the installer on the first login shell of the console.
if [ "$(tty)" = /dev/ttyS0 ] && [ ! -e /run/vlabs-install-started ]; then
  : > /run/vlabs-install-started
  /sbin/vlabs-install
fi
