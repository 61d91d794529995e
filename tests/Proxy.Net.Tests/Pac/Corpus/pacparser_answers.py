"""Answers of pacparser (the reference, Debian python3-pacparser) for one PAC script and a list of URL/host pairs.

Usage: /usr/bin/python3 pacparser_answers.py SCRIPT MYIP < lines of "url<TAB>host"
Prints one line per input line: the answer, or "ERROR <message>".
"""
import sys

try:
    import pacparser
except ImportError:
    sys.exit("the Debian package python3-pacparser is not installed (apt-get install python3-pacparser)")

script, myip = sys.argv[1], sys.argv[2]
# The Microsoft extensions (FindProxyForURLEx, isInNetEx, dnsResolveEx, sortIpAddressList, ...) must be enabled before init.
pacparser.enable_microsoft_extensions()
pacparser.init()
pacparser.setmyip(myip)
pacparser.parse_pac_file(script)
for line in sys.stdin:
    url, host = line.rstrip("\n").split("\t")
    try:
        print(pacparser.find_proxy(url, host))
    except Exception as e:  # noqa: BLE001 - the test compares errors as errors
        print("ERROR " + str(e).replace("\n", " "))
pacparser.cleanup()
