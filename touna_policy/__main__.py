import sys

from touna_policy.cli import main

sys.exit(main())
