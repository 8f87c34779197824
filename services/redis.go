package services

var _ = register(&Service{
	Name:  "redis",
	Order: 10,
	Image: "redis:7",
	Ports: []Port{{Name: "redis", Container: 6379, Host: 6579}},
})
