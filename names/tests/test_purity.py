import subprocess
import sys


def test_it_imports_no_django() -> None:
    code = (
        "import sys, names, names.matching, names.buckets, names.search, names.variants;"
        "names.parse('Memet Tursun');"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'config', 'accounts', 'intake', 'cases', 'disclosure', 'audit'});"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
