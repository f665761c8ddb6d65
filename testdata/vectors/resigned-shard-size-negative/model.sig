{
  "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
  "verificationMaterial": {
    "publicKey": {
      "hint": "7aa35d4ac09ee3d8460baa974dd6c513412cae3163eca09d5cf9eec326ee5930"
    },
    "tlogEntries": []
  },
  "dsseEnvelope": {
    "payload": "ewogICJfdHlwZSI6ICJodHRwczovL2luLXRvdG8uaW8vU3RhdGVtZW50L3YxIiwKICAic3ViamVjdCI6IFsKICAgIHsKICAgICAgIm5hbWUiOiAibW9kZWwiLAogICAgICAiZGlnZXN0IjogewogICAgICAgICJzaGEyNTYiOiAiYjlkMzA3OTIyNTUwNTJhZDRkYzZmY2VmYjc1Y2RlMDA0YzgwMjZiM2Q1MTcxODg4NmUxNjkxZWNiODRmYzhiYSIKICAgICAgfQogICAgfQogIF0sCiAgInByZWRpY2F0ZVR5cGUiOiAiaHR0cHM6Ly9tb2RlbF9zaWduaW5nL3NpZ25hdHVyZS92MS4wIiwKICAicHJlZGljYXRlIjogewogICAgInNlcmlhbGl6YXRpb24iOiB7CiAgICAgICJoYXNoX3R5cGUiOiAic2hhMjU2IiwKICAgICAgInNoYXJkX3NpemUiOiAtMTYuMCwKICAgICAgIm1ldGhvZCI6ICJzaGFyZHMiLAogICAgICAiaWdub3JlX3BhdGhzIjogWwogICAgICAgICIuZ2l0aWdub3JlIiwKICAgICAgICAiLmdpdGh1YiIsCiAgICAgICAgIi5naXQiLAogICAgICAgICIuZ2l0YXR0cmlidXRlcyIKICAgICAgXSwKICAgICAgImFsbG93X3N5bWxpbmtzIjogZmFsc2UKICAgIH0sCiAgICAicmVzb3VyY2VzIjogWwogICAgICB7CiAgICAgICAgImFsZ29yaXRobSI6ICJzaGEyNTYtc2hhcmRlZC0xMDAwMDAwMDAwMDAwMDAwMCIsCiAgICAgICAgIm5hbWUiOiAiY29uZmlnLmpzb246MDozIiwKICAgICAgICAiZGlnZXN0IjogImNhM2QxNjNiYWIwNTUzODE4MjcyMjYxNDA1NjhmM2JlZjdlYWFjMTg3Y2ViZDc2ODc4ZTBiNjNlOWU0NDIzNTYiCiAgICAgIH0sCiAgICAgIHsKICAgICAgICAiYWxnb3JpdGhtIjogInNoYTI1Ni1zaGFyZGVkLTEwMDAwMDAwMDAwMDAwMDAwIiwKICAgICAgICAibmFtZSI6ICJ3ZWlnaHRzLmJpbjowOjMwMDAiLAogICAgICAgICJkaWdlc3QiOiAiMzY3ZmE0YzllZTIyOWEzYzY4MGZkOGFmYjU2MzIwNzczMjYxMjZiYjM5N2YyZWVhMDIzNGZjMzA1NjljY2FlYiIKICAgICAgfQogICAgXQogIH0KfQ==",
    "payloadType": "application/vnd.in-toto+json",
    "signatures": [
      {
        "sig": "MEYCIQCoUEtikayBZ/diCVpQWGl4/9qP3mg0mEvOYm9ilQb15wIhAOoRKMGKczeMtSMahsCyuFRvQeckLpEBI9O9zQsSvLDA",
        "keyid": ""
      }
    ]
  }
}