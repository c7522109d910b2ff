import AnnealCLI

Anneal.main()
