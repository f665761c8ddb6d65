{
  "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
  "verificationMaterial": {
    "publicKey": {
      "hint": "7aa35d4ac09ee3d8460baa974dd6c513412cae3163eca09d5cf9eec326ee5930"
    },
    "tlogEntries": []
  },
  "dsseEnvelope": {
    "payload": "ewogICJfdHlwZSI6ICJodHRwczovL2luLXRvdG8uaW8vU3RhdGVtZW50L3YxIiwKICAic3ViamVjdCI6IFsKICAgIHsKICAgICAgIm5hbWUiOiAibW9kZWwub25ueCIsCiAgICAgICJkaWdlc3QiOiB7CiAgICAgICAgInNoYTI1NiI6ICIwNmI5MzNkNzUyZTdkZDMwMmFlZmI0NGFhNzQ2ZWQxNzZkZjczYWY1YWRiMzc2OTJlMDQzMzhmZjMwNzE0NzIxIgogICAgICB9CiAgICB9CiAgXSwKICAicHJlZGljYXRlVHlwZSI6ICJodHRwczovL21vZGVsX3NpZ25pbmcvc2lnbmF0dXJlL3YxLjAiLAogICJwcmVkaWNhdGUiOiB7CiAgICAicmVzb3VyY2VzIjogWwogICAgICB7CiAgICAgICAgImFsZ29yaXRobSI6ICJzaGEyNTYiLAogICAgICAgICJuYW1lIjogIm1vZGVsLm9ubngiLAogICAgICAgICJkaWdlc3QiOiAiNTkwNmFlMmEzOTQ1NGY4NzcwMzYwMDYzMWYyNzU1NDFlYTYzNDI0ZjAzOTc3ODA5MjIzZWY5M2JhNjdlZjk1ZiIKICAgICAgfQogICAgXSwKICAgICJzZXJpYWxpemF0aW9uIjogewogICAgICAiaWdub3JlX3BhdGhzIjogWwogICAgICAgICIuZ2l0IiwKICAgICAgICAiLmdpdGF0dHJpYnV0ZXMiLAogICAgICAgICIuZ2l0aHViIiwKICAgICAgICAiLmdpdGlnbm9yZSIKICAgICAgXSwKICAgICAgIm1ldGhvZCI6ICJmaWxlcyIsCiAgICAgICJoYXNoX3R5cGUiOiAic2hhMjU2IiwKICAgICAgImFsbG93X3N5bWxpbmtzIjogZmFsc2UKICAgIH0KICB9Cn0=",
    "payloadType": "application/vnd.in-toto+json",
    "signatures": [
      {
        "sig": "MEYCIQCRoOybb7PG0vt5ATMrEn6hu8koo7qsUqlHSvmqihiGzAIhALyDotzUTj+/5BDL4KFBR+Vt+bUObI+SaC4G0i/pjqQi",
        "keyid": ""
      }
    ]
  }
}