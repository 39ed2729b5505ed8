from touna_policy.cli import exit_now, main

exit_now(main())  # without the interpreter's teardown: see exit_now
